package org.etat.app;

import org.etat.app.cli.EtatCli;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Etat application: Axon on PostgreSQL, the HTTP API and the command line. The jar's entry
 * point is the command line ({@link EtatCli}); its sub-commands start this Spring application.
 */
@SpringBootApplication
public class EtatApplication {

    public static void main(String[] args) {
        System.exit(EtatCli.run(args));
    }
}

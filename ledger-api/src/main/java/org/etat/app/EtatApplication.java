package org.etat.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Etat application: Axon on PostgreSQL, the HTTP API and the command line. */
@SpringBootApplication
public class EtatApplication {

    public static void main(String[] args) {
        org.springframework.boot.SpringApplication.run(EtatApplication.class, args);
    }
}

package org.etat.app.projection;

import javax.sql.DataSource;
import org.etat.projection.AnnualAccount;
import org.etat.projection.ReadModels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reading the read models, on every node: also with {@code etat.projection.enabled=false}, where
 * another node keeps them in the same database (the reads, and so the whole context, need them).
 */
@Configuration(proxyBeanMethods = false)
public class ReadModelConfiguration {

    @Bean
    public ReadModels readModels(DataSource dataSource) {
        return new ReadModels(dataSource);
    }

    @Bean
    public AnnualAccount annualAccount(ReadModels readModels) {
        return new AnnualAccount(readModels);
    }
}

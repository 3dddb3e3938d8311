package org.etat.app.http;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Wires the write filter after Spring Security (which runs at order -100), so only authorised writes claim keys. */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Configuration(proxyBeanMethods = false)
public class HttpConfig {

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyStore store, ProblemWriter problems,
            @Value("${etat.http.max-body-bytes:65536}") long maxBodyBytes,
            @Value("${etat.http.max-batch-body-bytes:8388608}") long maxBatchBodyBytes) {
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(store, problems, maxBodyBytes, maxBatchBodyBytes));
        registration.addUrlPatterns("/api/v1/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }

    /**
     * Claims the Idempotency-Key of a ledger write inside the command's transaction (IdempotencyFilter).
     * Outermost of the command interceptors: the ledger's request log answers a repeat without going
     * further in, and this one must still see that answer to tell a repeat from another request.
     */
    @Bean
    @org.springframework.core.annotation.Order(Ordered.HIGHEST_PRECEDENCE)
    HttpIdempotencyInterceptor httpIdempotencyInterceptor(IdempotencyStore store) {
        return new HttpIdempotencyInterceptor(store);
    }

    /** Request id into the logging context before anything else runs; principal once Security has authenticated. */
    @Bean
    FilterRegistrationBean<org.springframework.web.filter.OncePerRequestFilter> requestIdLogging() {
        FilterRegistrationBean<org.springframework.web.filter.OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(RequestContextFilter.ids());
        registration.setName("requestIdLogging");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<org.springframework.web.filter.OncePerRequestFilter> principalLogging() {
        FilterRegistrationBean<org.springframework.web.filter.OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(RequestContextFilter.principal());
        registration.setName("principalLogging");
        registration.setOrder(-99); // just after Spring Security's filter chain (-100)
        return registration;
    }
}

package org.etat.app.security;

import static org.etat.app.security.Roles.AUDITOR;
import static org.etat.app.security.Roles.BUDGET_ADMIN;
import static org.etat.app.security.Roles.COURT_OF_AUDIT;
import static org.etat.app.security.Roles.FINANCE;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.etat.app.http.ProblemWriter;
import org.etat.app.http.Problems;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Who may do what. Writes by role (FINANCE books, BUDGET_ADMIN sets the budget), reads for the
 * Court of Audit and auditors, the raw log for auditors only. Health and the OpenAPI document are
 * open; everything not listed is denied. Embedded mode: configured users, HTTP Basic. JWT mode:
 * bearer tokens, roles from a configurable claim.
 *
 * <p>Browser pages (the dashboard, Swagger UI) have their own chain: form login, a session cookie
 * and CSRF tokens. The API also accepts that session (never creating one itself); a write that
 * comes with a session cookie and no Authorization header must carry the CSRF token.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EtatSecurityProperties.class)
public class SecurityConfig {

    private static final String API = "/api/v1";
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** One authentication manager for both chains (the embedded users are hashed once). */
    private AuthenticationManager embedded;

    private synchronized AuthenticationManager embeddedAuthentication(EtatSecurityProperties props, String usersSpec) {
        if (embedded == null) {
            DaoAuthenticationProvider dao = new DaoAuthenticationProvider(embeddedUsers(props, usersSpec));
            dao.setPasswordEncoder(new BCryptPasswordEncoder());
            embedded = new ProviderManager(new CachingAuthenticationProvider(dao, Clock.systemUTC()));
        }
        return embedded;
    }

    /**
     * The browser pages: anonymous visitors get the login form; the dashboard is for the Court of
     * Audit and auditors (others see a page saying so); Swagger UI for every signed-in role.
     */
    @Bean
    @Order(1)
    SecurityFilterChain browser(HttpSecurity http, EtatSecurityProperties props, @Value("${etat.users:}") String usersSpec) throws Exception {
        http.securityMatcher("/", "/login", "/logout", "/denied", "/dashboard", "/dashboard/**", "/swagger-ui.html", "/swagger-ui/**",
                        "/webjars/**")
                .csrf(c -> c.spa())
                .authenticationManager(embeddedAuthentication(props, usersSpec))
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/dashboard/", false).failureUrl("/login?error").permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
                .exceptionHandling(x -> x.accessDeniedHandler(deniedPage()))
                .headers(h -> h.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        PathPatternRequestMatcher.withDefaults().matcher("/dashboard/**"), new StaticHeadersWriter("Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                                + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"))))
                .authorizeHttpRequests(a -> a
                        .dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/login", "/denied").permitAll()
                        .requestMatchers("/dashboard", "/dashboard/**").hasAnyRole(COURT_OF_AUDIT, AUDITOR)
                        .anyRequest().authenticated());
        return http.build();
    }

    private static AccessDeniedHandler deniedPage() {
        AccessDeniedHandlerImpl handler = new AccessDeniedHandlerImpl();
        handler.setErrorPage("/denied");
        return handler;
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, EtatSecurityProperties props, ProblemWriter problems,
            @Value("${etat.users:}") String usersSpec, ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
        AuthenticationEntryPoint entryPoint = (request, response, e) -> {
            // Not for the dashboard's own calls (X-Requested-With): a Basic challenge would pop up the browser's password dialog.
            if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
                response.setHeader("WWW-Authenticate", props.getMode() == EtatSecurityProperties.Mode.JWT ? "Bearer" : "Basic realm=\"etat\"");
            }
            problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, Problems.UNAUTHENTICATED, "Authentication required",
                    "sign in to use this endpoint"), request.getRequestURI());
        };
        AccessDeniedHandler denied = (request, response, e) -> problems.write(response, Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN,
                "Forbidden", e instanceof CsrfException ? "a write with the session cookie needs the X-XSRF-TOKEN header (the XSRF-TOKEN cookie's value)"
                        : "your role may not use this endpoint"), request.getRequestURI());

        // Basic and bearer callers are not forgeable cross-site; a write riding on the dashboard's session cookie is.
        RequestMatcher sessionCookieWrites = request -> !SAFE_METHODS.contains(request.getMethod())
                && request.getHeader("Authorization") == null && request.getSession(false) != null;
        // The same XSRF-TOKEN cookie as the browser chain, read plain from the header; never written for a stateless call.
        http.csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()).requireCsrfProtectionMatcher(sessionCookieWrites))
                .securityContext(c -> c.securityContextRepository(new DelegatingSecurityContextRepository(
                        new RequestAttributeSecurityContextRepository(), new SessionReadingSecurityContextRepository())))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .exceptionHandling(x -> x.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasRole(AUDITOR)
                        .requestMatchers(HttpMethod.POST, API + "/lines", API + "/lines/*/appropriations", API + "/lines/*/amendments",
                                API + "/lines/*/blocks", API + "/lines/*/releases", API + "/lines/*/over-plan-consents",
                                API + "/years/*/closing").hasRole(BUDGET_ADMIN)
                        .requestMatchers(HttpMethod.POST, API + "/lines/*/expenditures", API + "/lines/*/revenues",
                                API + "/expenditure-batches", API + "/reallocations", API + "/carry-overs",
                                API + "/entries/*/reversal").hasRole(FINANCE)
                        .requestMatchers(HttpMethod.POST, API + "/audit/verification", API + "/audit/digests").hasRole(AUDITOR)
                        .requestMatchers(HttpMethod.POST, API + "/imports").hasRole(BUDGET_ADMIN)
                        .requestMatchers(HttpMethod.GET, API + "/imports/*").hasAnyRole(BUDGET_ADMIN, COURT_OF_AUDIT, AUDITOR)
                        .requestMatchers(HttpMethod.GET, API + "/events", API + "/events/**").hasRole(AUDITOR)
                        .requestMatchers(HttpMethod.POST, API + "/projections/rebuild").hasRole(AUDITOR)
                        .requestMatchers(HttpMethod.GET, API + "/projections/rebuild/*").hasRole(AUDITOR)
                        .requestMatchers(HttpMethod.GET, API + "/me").authenticated()
                        .requestMatchers(HttpMethod.GET, API + "/**").hasAnyRole(COURT_OF_AUDIT, AUDITOR)
                        .anyRequest().denyAll());

        if (props.getMode() == EtatSecurityProperties.Mode.JWT) {
            if (jwtDecoder.getIfAvailable() == null) {
                throw new IllegalStateException("etat.security.mode=jwt needs spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri");
            }
            http.oauth2ResourceServer(o -> o.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied)
                    .jwt(j -> j.jwtAuthenticationConverter(jwtRoles(props.getJwt()))));
        } else {
            http.authenticationManager(embeddedAuthentication(props, usersSpec))
                    .httpBasic(b -> b.authenticationEntryPoint(entryPoint));
        }
        return http.build();
    }

    /**
     * No observation per security filter: Spring Security would otherwise open and close a Micrometer
     * observation (and timers) around each of its filters on every request, which cost more CPU than
     * the ledger write itself (bench/README.md, HTTP). Each request is still observed as a whole
     * (http.server.requests).
     */
    @Bean
    SecurityObservationSettings noSecurityFilterObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The strict firewall, with the same header rule (no control characters, no unassigned code
     * points) checked by a loop instead of a regular expression: the firewall checks every header on
     * every read, and the expression cost the API a sixth of its CPU.
     */
    @Bean
    WebSecurityCustomizer cheapHeaderCheck() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(SecurityConfig::assignedAndNotControl);
        firewall.setAllowedHeaderValues(SecurityConfig::assignedAndNotControl);
        return web -> web.httpFirewall(firewall);
    }

    static boolean assignedAndNotControl(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c < 0x7f ? c < 0x20 : Character.isISOControl(c) || !Character.isDefined(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** Configured users (bcrypt hashes) plus those of {@code ETAT_USERS} (plain text, hashed here). */
    static InMemoryUserDetailsManager embeddedUsers(EtatSecurityProperties props, String usersSpec) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        List<UserDetails> users = new ArrayList<>();
        for (EtatSecurityProperties.User u : props.getUsers()) {
            String hash = u.getPasswordHash();
            if (u.getName() == null || hash == null || !hash.matches("\\$2[aby]?\\$\\d\\d\\$.{53}")) {
                throw new IllegalStateException("etat.security.users: user " + u.getName() + " needs a name and a bcrypt password-hash");
            }
            users.add(User.withUsername(u.getName()).password(hash).roles(u.getRoles().stream()
                    .map(r -> UserSpec.parse("x:x:" + r).get(0).roles().iterator().next()).toArray(String[]::new)).build());
        }
        for (UserSpec u : UserSpec.parse(usersSpec)) {
            users.add(User.withUsername(u.name()).password(bcrypt.encode(u.password())).roles(u.roles().toArray(String[]::new)).build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    /** Roles from a claim (a list or a space- or comma-separated string); principal from another. */
    static Converter<Jwt, AbstractAuthenticationToken> jwtRoles(EtatSecurityProperties.Jwt config) {
        return jwt -> {
            List<GrantedAuthority> authorities = new ArrayList<>();
            for (String role : rolesOf(claim(jwt.getClaims(), config.getRolesClaim()))) {
                String r = role.trim().toUpperCase(java.util.Locale.ROOT);
                r = r.startsWith("ROLE_") ? r.substring(5) : r;
                if (Roles.ALL.contains(r)) {
                    authorities.add(new SimpleGrantedAuthority("ROLE_" + r));
                }
            }
            Object name = claim(jwt.getClaims(), config.getPrincipalClaim());
            return new JwtAuthenticationToken(jwt, authorities, name == null ? jwt.getSubject() : name.toString());
        };
    }

    private static Object claim(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static List<String> rolesOf(Object value) {
        List<String> roles = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(v -> roles.add(String.valueOf(v)));
        } else if (value instanceof String s) {
            for (String part : s.split("[ ,]+")) {
                if (!part.isBlank()) {
                    roles.add(part);
                }
            }
        }
        return roles;
    }
}

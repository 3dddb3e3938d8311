package org.etat.app.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Reads the sign-in of an existing browser session (the dashboard's form login) but never writes
 * one: an API call with HTTP Basic or a bearer token stays stateless and creates no session.
 */
final class SessionReadingSecurityContextRepository implements SecurityContextRepository {

    private final HttpSessionSecurityContextRepository session = new HttpSessionSecurityContextRepository();

    SessionReadingSecurityContextRepository() {
        session.setAllowSessionCreation(false);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return session.loadContext(holder);
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return session.loadDeferredContext(request);
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        // never: only the login form puts a sign-in into a session
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return session.containsContext(request);
    }
}

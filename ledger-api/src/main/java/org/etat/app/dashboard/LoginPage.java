package org.etat.app.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The sign-in form of the browser pages (German or English) and the page a signed-in user whose
 * role may not see the dashboard gets. Rendered here because the form must carry the CSRF token.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Controller
public class LoginPage {

    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f4f5f7;margin:0}"
            + "main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border:1px solid #c4c8cf;border-radius:6px}"
            + "h1{font-size:1.4rem;margin-top:0}label{display:block;margin-top:1rem;font-weight:600}"
            + "input{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #5c6470;border-radius:4px}"
            + "button,.button{margin-top:1.5rem;font:inherit;padding:.55rem 1.2rem;background:#0b4f8a;color:#fff;border:0;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}"
            + "a{color:#0b4f8a}:focus-visible{outline:3px solid #c05600;outline-offset:2px}"
            + ".msg{padding:.6rem;border-radius:4px;background:#fdecea;color:#8a1c12;border:1px solid #8a1c12}"
            + ".ok{background:#e7f4ea;color:#1d5e2c;border-color:#1d5e2c}nav{margin-top:1.5rem;font-size:.9rem}";

    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    public String login(HttpServletRequest request, @RequestParam(required = false) String lang) {
        boolean de = german(request, lang);
        String message = "";
        if (request.getParameter("error") != null) {
            message = "<p class=\"msg\" role=\"alert\" id=\"login-error\">" + (de ? "Name oder Passwort ist falsch." : "Wrong name or password.") + "</p>";
        } else if (request.getParameter("logout") != null) {
            message = "<p class=\"msg ok\" role=\"status\">" + (de ? "Sie sind abgemeldet." : "You are signed out.") + "</p>";
        }
        return page(de, de ? "Anmelden – Etat" : "Sign in – Etat", "<h1>" + (de ? "Etat: Anmelden" : "Etat: sign in") + "</h1>" + message
                + "<form method=\"post\" action=\"/login\" id=\"login-form\">"
                + "<label for=\"username\">" + (de ? "Name" : "Name") + "</label>"
                + "<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>"
                + "<label for=\"password\">" + (de ? "Passwort" : "Password") + "</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + csrf(request)
                + "<button type=\"submit\" id=\"login-submit\">" + (de ? "Anmelden" : "Sign in") + "</button></form>"
                + "<nav><a href=\"/login?lang=" + (de ? "en\" lang=\"en\">English" : "de\" lang=\"de\">Deutsch") + "</a></nav>");
    }

    /** Forwarded here (403) when a signed-in role may not see a page: FINANCE and BUDGET_ADMIN on the dashboard. */
    @GetMapping(path = "/denied", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> denied(HttpServletRequest request, Principal principal, @RequestParam(required = false) String lang) {
        boolean de = german(request, lang);
        String who = principal == null ? "" : escape(principal.getName());
        String body = "<h1 id=\"denied\">" + (de ? "Kein Zugriff" : "Not allowed") + "</h1><p>"
                + (de ? "Das Dashboard ist für den Rechnungshof und Prüferinnen und Prüfer (Rollen COURT_OF_AUDIT, AUDITOR). Angemeldet: "
                        : "The dashboard is for the Court of Audit and auditors (roles COURT_OF_AUDIT, AUDITOR). Signed in: ")
                + "<strong>" + who + "</strong>.</p><p><a href=\"/swagger-ui.html\">" + (de ? "API (Swagger UI)" : "API (Swagger UI)") + "</a></p>"
                + "<form method=\"post\" action=\"/logout\">" + csrf(request) + "<button type=\"submit\">" + (de ? "Abmelden" : "Sign out")
                + "</button></form>";
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_HTML)
                .body(page(de, de ? "Kein Zugriff – Etat" : "Not allowed – Etat", body));
    }

    private static boolean german(HttpServletRequest request, String lang) {
        if (lang != null) {
            return lang.startsWith("de");
        }
        String accept = request.getHeader("Accept-Language");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).startsWith("de");
    }

    private static String csrf(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return token == null ? "" : "<input type=\"hidden\" name=\"" + escape(token.getParameterName()) + "\" value=\"" + escape(token.getToken()) + "\">";
    }

    private static String page(boolean de, String title, String body) {
        return "<!DOCTYPE html><html lang=\"" + (de ? "de" : "en") + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><title>" + title + "</title><style>" + STYLE
                + "</style></head><body><main>" + body + "</main></body></html>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}

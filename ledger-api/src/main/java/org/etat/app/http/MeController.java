package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who is signed in and with which roles: lets a client (the dashboard) show only what the roles allow. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Session", description = "The signed-in principal (every role)")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class MeController {

    @Schema(description = "The signed-in principal")
    public record Me(@Schema(example = "court") String name,
            @Schema(example = "[\"COURT_OF_AUDIT\"]", description = "Etat roles, without the ROLE_ prefix") List<String> roles) {
    }

    @GetMapping("/me")
    @Operation(summary = "The signed-in principal and its roles (any role)")
    public Me me(Authentication authentication) {
        List<String> roles = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
        return new Me(authentication.getName(), roles);
    }
}

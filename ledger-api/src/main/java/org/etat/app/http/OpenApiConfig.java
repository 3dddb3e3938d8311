package org.etat.app.http;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.etat.ledger.common.Rule;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: security schemes, the problem schema, and on every operation the error
 * answers it can give, each with an example; the 409 lists every rule's type URI.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI etatOpenApi() {
        StringBuilder rules = new StringBuilder("Problem types of rule refusals (409 unless noted; `rule` holds the name):\n\n");
        for (Rule r : Rule.values()) {
            rules.append("- `").append(Problems.type(r)).append("` (").append(Problems.status(r).value()).append(", `")
                    .append(r.name()).append("`): ").append(r.title()).append('\n');
        }
        return new OpenAPI()
                .info(new Info().title("Etat ledger API").version("v1").description(
                        "An event-sourced ledger of public money. Amounts are decimal strings (\"196270.47\"), dates ISO-8601, "
                                + "line ids year-Kapitel-Titel (2024-08030-54669). Every error is application/problem+json (RFC 9457).\n\n"
                                + rules))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("Embedded mode: configured users"))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                                .description("Production: OAuth2 JWT; roles from a configurable claim"))
                        .addSchemas(PROBLEM, new ObjectSchema().description("RFC 9457 problem details")
                                .addProperty("type", new StringSchema().example("https://etat.example/problems/insufficient-funds"))
                                .addProperty("title", new StringSchema())
                                .addProperty("status", new IntegerSchema())
                                .addProperty("detail", new StringSchema())
                                .addProperty("instance", new StringSchema())
                                .addProperty("rule", new StringSchema().description("The ledger rule that refused the request")
                                        ._enum(java.util.Arrays.stream(Rule.values()).map(Enum::name).toList()))
                                .addProperty("errors", new ArraySchema().items(new ObjectSchema()
                                        .addProperty("field", new StringSchema().description("400: JSON path of the offending field"))
                                        .addProperty("index", new IntegerSchema().description("409 batch: index of the refused entry"))
                                        .addProperty("rule", new StringSchema())
                                        .addProperty("detail", new StringSchema())))));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
            boolean write = item.getPost() == op;
            if (write && op.getResponses().containsKey("200")) {
                ApiResponse ok = op.getResponses().remove("200");
                op.getResponses().addApiResponse("201", ok.description("Recorded: the event ids and each touched line's available amount. "
                        + "A retry with the same Idempotency-Key and body answers this again, with Idempotent-Replayed: true")
                        .addHeaderObject("Location", new io.swagger.v3.oas.models.headers.Header()
                                .description("The new line, or the first recorded entry").schema(new StringSchema().example("/api/v1/entries/6f1c2a9e-0d7b-4c1e-9a55-3f1f0c2b7d10"))));
            }
            add(op.getResponses(), "401", "Not signed in", example(401, "unauthenticated", "Authentication required", "sign in to use this endpoint", null));
            add(op.getResponses(), "403", "The role may not use this endpoint", example(403, "forbidden", "Forbidden", "your role may not use this endpoint", null));
            add(op.getResponses(), "406", "The Accept header names no type this endpoint produces", example(406, "not-acceptable", "Not Acceptable", "Acceptable representations: [application/json]", null));
            add(op.getResponses(), "400", "Malformed input: every offending field is named",
                    example(400, "invalid-request", "The request is malformed", "2 fields are invalid; see errors",
                            java.util.List.of(Map.of("field", "amount", "detail", "amount must be a decimal string, like \"196270.47\""),
                                    Map.of("field", "effectiveDate", "detail", "is required"))));
            add(op.getResponses(), "404", "Unknown line or entry", example(404, "line-not-open", Rule.LINE_NOT_OPEN.title(),
                    "budget line 2024-08030-54669 does not exist", null));
            if (write) {
                add(op.getResponses(), "409", "Refused by a rule of budget law (type per rule), or the same Idempotency-Key is still running",
                        example(409, "insufficient-funds", Rule.INSUFFICIENT_FUNDS.title(),
                                "line 2024-08030-54669 has 397.64 available; cannot spend 500.00", null));
                add(op.getResponses(), "413", "Body too large", example(413, "payload-too-large", "Request body too large",
                        "the body of this request may hold at most 65536 bytes", null));
                add(op.getResponses(), "415", "Content-Type is not application/json", example(415, "unsupported-media-type",
                        "Unsupported Media Type", "Content-Type 'text/plain' is not supported", null));
                add(op.getResponses(), "422", "The Idempotency-Key was used for a different request", example(422, "idempotency-conflict",
                        "Idempotency-Key reused", "this Idempotency-Key was used for a different request; use a new key for a new write", null));
            }
        }));
    }

    private static void add(io.swagger.v3.oas.models.responses.ApiResponses responses, String code, String description, Example example) {
        if (responses.containsKey(code)) {
            return;
        }
        responses.addApiResponse(code, new ApiResponse().description(description).content(new Content().addMediaType(
                "application/problem+json", new MediaType().schema(new ObjectSchema().$ref("#/components/schemas/" + PROBLEM))
                        .addExamples(code, example))));
    }

    private static Example example(int status, String slug, String title, String detail, Object errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.BASE + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", "/api/v1/lines/2024-08030-54669/expenditures");
        if (status == 409) {
            body.put("rule", "INSUFFICIENT_FUNDS");
        }
        if (errors != null) {
            body.put("errors", errors);
        }
        return new Example().value(body);
    }
}

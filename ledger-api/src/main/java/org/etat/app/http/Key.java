package org.etat.app.http;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** OpenAPI documentation of the Idempotency-Key header every write requires. */
@Target({ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Parameter(in = ParameterIn.HEADER, name = LedgerWriteController.IDEMPOTENCY_KEY, required = true, example = "7d8c1f0e-2b1a-4a3e-9f77-5c0e1d2a3b4c",
        description = "1-200 visible ASCII characters, unique per intended write. Sent to the ledger as the request id. "
                + "A retry with the same key and body answers the first response again (header Idempotent-Replayed: true); "
                + "the same key with another body is 422; while the first is still running, 409.")
@interface Key {
}

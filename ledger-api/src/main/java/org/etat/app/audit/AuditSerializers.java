package org.etat.app.audit;

import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.etat.app.axon.AxonJson;

/** The event serializer as the application configures it, for code that reads the log without Spring (CLI, bench). */
public final class AuditSerializers {

    private AuditSerializers() {
    }

    public static Serializer eventSerializer() {
        return JacksonSerializer.builder().objectMapper(AxonJson.newMapper()).lenientDeserialization().build();
    }
}

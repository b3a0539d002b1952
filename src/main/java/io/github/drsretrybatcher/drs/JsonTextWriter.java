package io.github.drsretrybatcher.drs;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Writes the already serialised request body as its UTF-8 bytes. Registered on the DRS client so that the
 * Jackson writer, which takes every type for {@code application/json}, is not used for a {@code String}: it
 * would write the same bytes, but first reads the annotations of every parameter of the client method to look
 * for a JSON view (tens of kilobytes allocated per call).
 */
@Produces(MediaType.APPLICATION_JSON)
final class JsonTextWriter implements MessageBodyWriter<String> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == String.class;
    }

    @Override
    public void writeTo(String body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        entityStream.write(body.getBytes(StandardCharsets.UTF_8));
    }
}

package io.github.drsretrybatcher.drs;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The DRS batch-retry-task operation; only {@link DrsClient} calls it. */
@Path("/v3/{project_id}/jobs/batch-retry-task")
interface DrsRestClient {

    /**
     * Sends the already serialised body, so that the bytes on the wire are the bytes a signature covers; null
     * headers are left out (a token, or an AK/SK signature with its date and project; the W3C trace context).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> batchRetryTask(
            @PathParam("project_id") String projectId,
            @HeaderParam("X-Auth-Token") String token,
            @HeaderParam("X-Language") String language,
            @HeaderParam("X-Sdk-Date") String sdkDate,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Project-Id") String signedProjectId,
            @HeaderParam("traceparent") String traceparent,
            String body);
}

package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.etat.app.projection.RebuildJob;
import org.etat.app.projection.RebuildService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rebuilding the read models from the log while the ledger keeps accepting writes (AUDITOR): a job
 * that rebuilds into fresh tables, catches up, compares digests with the live models and swaps the
 * rebuilt tables in (see {@link RebuildService}).
 */
@RestController
@RequestMapping(path = "/api/v1/projections/rebuild")
@Tag(name = "Projections", description = "Rebuilding the read models (AUDITOR)")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class RebuildController {

    public static final URI REBUILD_RUNNING = URI.create(Problems.BASE + "rebuild-running");

    private final ObjectProvider<RebuildService> rebuilds;

    public RebuildController(ObjectProvider<RebuildService> rebuilds) {
        this.rebuilds = rebuilds;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a rebuild of every read model; 202 with the job, 409 if one is running")
    public ResponseEntity<Object> start() {
        RebuildService service = rebuilds.getIfAvailable();
        if (service == null) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE, "Read models are off",
                    "this node does not keep the read models (etat.projection.enabled=false)");
        }
        RebuildJob job;
        try {
            job = service.start();
        } catch (RebuildService.AlreadyRunning e) {
            return problem(HttpStatus.CONFLICT, REBUILD_RUNNING, "A rebuild is running", e.getMessage());
        }
        return ResponseEntity.accepted().location(URI.create("/api/v1/projections/rebuild/" + job.id())).body(json(job.status()));
    }

    @GetMapping(path = "/{jobId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A rebuild job: state, phase, events processed, digests per read model when done")
    public Map<String, Object> job(@PathVariable String jobId) {
        RebuildService service = rebuilds.getIfAvailable();
        return (service == null ? java.util.Optional.<RebuildJob>empty() : service.job(jobId)).map(j -> json(j.status()))
                .orElseThrow(() -> new NotFoundException("no rebuild job " + jobId + " on this node"));
    }

    static Map<String, Object> json(RebuildJob.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", s.jobId());
        m.put("state", s.state().name());
        m.put("phase", s.phase());
        m.put("eventsProcessed", s.eventsProcessed());
        m.put("eventsInLog", s.eventsInLog());
        m.put("eventsPerSecond", s.eventsPerSecond());
        m.put("startedAt", s.startedAt().toString());
        m.put("finishedAt", s.finishedAt() == null ? null : s.finishedAt().toString());
        m.put("switchedOver", s.switchedOver());
        m.put("phaseMillis", s.phaseMillis());
        if (s.digests() != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            s.digests().forEach((table, td) -> d.put(table, Map.of("rebuilt", td.rebuilt(), "live", td.live(), "matches", td.matches())));
            m.put("digests", d);
            m.put("digestsMatch", s.digestsMatch());
        }
        if (s.error() != null) {
            m.put("error", s.error());
        }
        return m;
    }

    private static ResponseEntity<Object> problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail p = Problems.of(status, type, title, detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}

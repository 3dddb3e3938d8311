package org.etat.app.http;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.etat.app.importer.ImportJob;
import org.etat.app.importer.ImportJobs;
import org.etat.ledger.common.Limits;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Upload of a federal budget year (the same import as {@code etat import}): the request is checked
 * here, the files are read and imported by a background job whose progress resource the answer
 * names. A malformed file fails the job before anything is recorded; a rerun of the same files
 * records nothing twice (see ImportService).
 */
@RestController
@RequestMapping(path = "/api/v1/imports", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Imports", description = "Federal budget files (Soll CSV, Ist xlsx or CSV) imported through the ledger's commands")
@SecurityRequirement(name = "basic")
@SecurityRequirement(name = "bearer")
public class ImportController {

    /** Part content types a browser or curl may send for the files; anything else is refused. */
    static final Set<String> CSV_TYPES = Set.of("text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "application/octet-stream");
    static final Set<String> XLSX_TYPES = Set.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream");

    private final ImportJobs jobs;

    public ImportController(ImportJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import a federal budget year (BUDGET_ADMIN)",
            description = "multipart/form-data with `soll` (bund_soll_<Y>.csv), optionally `ist` (bund_ist_<Y>.xlsx or .csv) and `year`. "
                    + "Answers 202 with the job; poll its Location. The files are read completely before anything is recorded, so a "
                    + "malformed file fails the job (file, row, column, reason) with nothing of it imported. Each batch of rows is one "
                    + "transaction and a checkpoint: after a refusal or a crash, uploading the same files again resumes without "
                    + "duplicates, and uploading a completed import again records nothing. No Idempotency-Key is needed. "
                    + "Files up to spring.servlet.multipart.max-file-size (16 MB); larger uploads are 413.",
            responses = @ApiResponse(responseCode = "202", description = "Queued: the job, and Location its progress resource",
                    headers = @Header(name = "Location", description = "/api/v1/imports/{jobId}", schema = @Schema(type = "string")),
                    content = @Content(schema = @Schema(implementation = ImportJob.View.class))))
    public ResponseEntity<ImportJob.View> upload(Authentication auth,
            @Parameter(description = "Soll CSV of bundeshaushalt.de, values in thousand EUR") @RequestPart(name = "soll", required = false) MultipartFile soll,
            @Parameter(description = "Ist of the Haushaltsrechnung: .xlsx or its CSV conversion, values in EUR") @RequestPart(name = "ist", required = false) MultipartFile ist,
            @Parameter(description = "Fiscal year of the files", schema = @Schema(type = "integer", example = "2022")) @RequestParam(name = "year", required = false) String year) {
        List<FieldError> errors = new ArrayList<>();
        Integer fiscalYear = year(year, errors);
        ImportJobs.Upload sollUpload = file("soll", soll, true, errors);
        ImportJobs.Upload istUpload = file("ist", ist, false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        ImportJob job;
        try {
            job = jobs.submit(auth.getName(), fiscalYear, sollUpload, istUpload);
        } catch (RejectedExecutionException e) {
            throw new ImportsBusyException();
        }
        return ResponseEntity.accepted().location(URI.create("/api/v1/imports/" + job.id())).body(job.view());
    }

    @GetMapping("/{jobId}")
    @Operation(summary = "An import job: state, progress, summary or failure (BUDGET_ADMIN, COURT_OF_AUDIT, AUDITOR)")
    public ImportJob.View job(@PathVariable String jobId) {
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("import job " + jobId + " does not exist");
        }
        return jobs.find(id).map(ImportJob::view).orElseThrow(() -> new NotFoundException("import job " + jobId + " does not exist"));
    }

    /** All import threads are busy and the queue is full; nothing was queued. */
    static final class ImportsBusyException extends RuntimeException {
        ImportsBusyException() {
            super("too many imports are queued; retry later", null, false, false);
        }
    }

    @ExceptionHandler(ImportsBusyException.class)
    ResponseEntity<Object> busy(ImportsBusyException e, HttpServletRequest request) {
        ResponseEntity<Object> answer = ApiExceptionHandler.problem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, Problems.UNAVAILABLE,
                "Imports busy", e.getMessage()), request);
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).header(HttpHeaders.RETRY_AFTER, "30").body(answer.getBody());
    }

    private static Integer year(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError("year", "is required"));
            return null;
        }
        try {
            int year = Integer.parseInt(value.trim());
            if (year < Limits.MIN_YEAR || year > Limits.MAX_YEAR) {
                errors.add(new FieldError("year", "must be " + Limits.MIN_YEAR + " to " + Limits.MAX_YEAR));
                return null;
            }
            return year;
        } catch (NumberFormatException e) {
            errors.add(new FieldError("year", "must be a number, such as 2022"));
            return null;
        }
    }

    private static ImportJobs.Upload file(String part, MultipartFile file, boolean required, List<FieldError> errors) {
        if (file == null) {
            if (required) {
                errors.add(new FieldError(part, "file part is required"));
            }
            return null;
        }
        String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? part + ".csv"
                : file.getOriginalFilename().replaceAll(".*[/\\\\]", "");
        if (name.length() > Limits.MAX_REFERENCE_LENGTH) {
            errors.add(new FieldError(part, "file name is longer than " + Limits.MAX_REFERENCE_LENGTH + " characters"));
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean xlsx = lower.endsWith(".xlsx");
        if (!lower.endsWith(".csv") && !(xlsx && part.equals("ist"))) {
            errors.add(new FieldError(part, part.equals("ist") ? "must be a .xlsx or .csv file" : "must be a .csv file"));
            return null;
        }
        String type = file.getContentType() == null ? null : file.getContentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (type != null && !(xlsx ? XLSX_TYPES : CSV_TYPES).contains(type)) {
            errors.add(new FieldError(part, "content type " + type + " is not " + (xlsx ? "a spreadsheet (xlsx)" : "CSV text")));
            return null;
        }
        if (file.isEmpty()) {
            errors.add(new FieldError(part, "file is empty"));
            return null;
        }
        try {
            return new ImportJobs.Upload(name, file.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded " + part, e);
        }
    }
}

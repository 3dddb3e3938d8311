/**
 * Import of published federal budgets (Bundeshaushalt): Soll from the bundeshaushalt.de CSV, Ist from
 * the Haushaltsrechnung spreadsheet or its CSV conversion.
 *
 * <p>Parsers ({@link org.etat.app.importer.SollCsvParser}, {@link org.etat.app.importer.IstXlsxParser},
 * {@link org.etat.app.importer.IstCsvParser}) are plain Java. Amounts become exact cents without
 * floating-point arithmetic; every row keeps its file name, the file's SHA-256 and its row; the first
 * malformed row stops parsing with a {@link org.etat.app.importer.MalformedRowException} naming file,
 * row, column and reason. {@link org.etat.app.importer.ImportPlanner} turns a parsed year into ledger
 * commands (pure) and documents how annex chapters, zero and negative values, transferability and
 * spending beyond the appropriation are handled.
 *
 * <p>Sending: {@link org.etat.app.importer.ImportService} sends the plan through the ledger's commands
 * only, as batches: {@code BudgetBatch} opens lines and enacts their appropriations (one entry per Soll
 * row, then per title known only from the Ist) and grants the § 37 consents; {@code RecordBatch}
 * records the actuals. Every event carries its source file name, the file's SHA-256 and the row.
 *
 * <p>Failure behaviour (documented choice: <b>resume from a checkpoint</b>, not all-or-nothing per
 * file): a malformed file is found before anything is sent, so nothing of it is recorded. After that,
 * each batch (up to 2,000 rows of one file) is one transaction, all or nothing, and its request id
 * {@code bund:<sha256>:<firstRow>-<lastRow>:<action>} is stored with it: a committed batch is a
 * checkpoint. If the ledger refuses a batch or the process dies, the batches before it stay; running
 * the same import again (CLI or upload) replays the recorded batches without effect and continues
 * with the first missing one, so nothing is recorded twice. A complete re-import records nothing.
 * The same bytes under another name are refused (idempotency conflict) rather than booked twice.
 *
 * <p>Upload: {@code POST /api/v1/imports} ({@link org.etat.app.importer.ImportJobs}) runs the same
 * import as a background job, one at a time per node; its state and progress live in memory (a
 * restart forgets the job, not what it recorded: upload again to resume). Events are recorded under
 * the principal {@code etat-import}, as with the CLI, so that any admin's re-upload is recognised as
 * the same request; the job names who uploaded.
 *
 * <p>Annex chapters: the data's notes name Kapitel 6090-6099, but the 2024 file holds annexes
 * ("Anlage ...": special-fund business plans, EU pass-throughs) in every Kapitel x090-x099 (0690, 1490,
 * 1790, ...); only excluding all of them reproduces the published core totals to the cent.
 */
package org.etat.app.importer;

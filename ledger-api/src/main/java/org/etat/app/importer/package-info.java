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
 * <p>Annex chapters: the data's notes name Kapitel 6090-6099, but the 2024 file holds annexes
 * ("Anlage ...": special-fund business plans, EU pass-throughs) in every Kapitel x090-x099 (0690, 1490,
 * 1790, ...); only excluding all of them reproduces the published core totals to the cent.
 */
package org.etat.app.importer;

package org.etat.app.importer;

/** Where an imported value came from: file name, SHA-256 of the file's bytes, 1-based row. */
public record Provenance(String fileName, String sha256, int row) {
}

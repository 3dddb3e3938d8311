/**
 * Axon Framework 4 on PostgreSQL through plain JDBC, wired for Spring Boot 4 by
 * {@link org.etat.app.axon.EtatAxonAutoConfiguration} (see stack.md "Traps").
 */
package org.etat.app.axon;

/**
 * The console command {@code spool:health}, a Karaf shell action found through the bundle header
 * {@code Karaf-Commands}; it uses only the api's {@link dev.spool.api.health.HealthIndicator} services, so it can move
 * to any bundle holding the other {@code spool:*} commands.
 */
@Header(name = "Karaf-Commands", value = "dev.spool.raft.internal.console")
package dev.spool.raft.internal.console;

import org.osgi.annotation.bundle.Header;

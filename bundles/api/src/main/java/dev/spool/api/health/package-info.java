/**
 * Whether a member serves: each Raft group publishes a {@link dev.spool.api.health.HealthIndicator} service, which
 * answers with a {@link dev.spool.api.health.Health} naming its cause when it does not serve.
 */
@Export
@Version("0.2.0")
package dev.spool.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The example key-value application: the {@link dev.spool.example.kv.KeyValueStore} service an application
 * injects. Its state machine and payload codec (internal) serve the Raft group named {@code default}.
 */
@Export
@Version("0.1.0")
package dev.spool.example.kv;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Who belongs to a Raft group: members, voting or not, and their addresses.
 */
@Export
@Version("0.1.0")
package dev.spool.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

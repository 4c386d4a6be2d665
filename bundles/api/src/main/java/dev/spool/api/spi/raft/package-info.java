/**
 * Bundle SPI (an application never imports it): the Raft messages exchanged by the members of a group, as immutable
 * values: what the Raft core emits and consumes, and what a network transport encodes without knowing the core.
 * Messages name members by id and do not name the group (the transport frames them per group). Entry payloads never
 * travel inside these values: an {@link AppendEntries} names a range of journal records, an {@link InstallSnapshot}
 * a range of snapshot bytes, a {@link ForwardProposal} the encoded payload of a proposal made on a follower, and the
 * transport attaches those bytes.
 */
@Export
@Version("0.1.0")
package dev.spool.api.spi.raft;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

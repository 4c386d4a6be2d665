/**
 * What an application sees of a Raft group: the {@link dev.spool.api.group.RaftGroup} service it proposes to and
 * reads through, the {@link dev.spool.api.group.StateMachine} it implements, the callbacks that report outcomes and
 * the errors a proposal can end with, and the {@link dev.spool.api.group.Durability} a group's journal keeps.
 */
@Export
@Version("0.5.0")
package dev.spool.api.group;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

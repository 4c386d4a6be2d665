package dev.spool.api.spi.raft;

/**
 * A message by which a follower has its group's leader serve a client request: a proposal made on the follower, or
 * a read-index read. These messages travel between the members of a group like the others, but the Raft core
 * neither emits nor consumes them: the group serves them around the core (a forwarded proposal enters the leader's
 * intake like a local one, a read-index request is a read barrier taken on the leader). The term they carry is the
 * sender's, for diagnostics; it never moves the receiver's term.
 */
public sealed interface ForwardMessage extends RaftMessage
        permits ForwardProposal, ForwardResult, ReadIndexRequest, ReadIndexResponse {

    /**
     * Returns the id the follower gave the request, which the leader's answer repeats.
     *
     * @return the request's id, unique among the follower's outstanding requests of the group
     */
    long requestId();
}

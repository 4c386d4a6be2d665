package dev.spool.raft.core;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The voters of one membership and what a majority of them agrees on: the only place the core does quorum
 * arithmetic, for commit (flushed indexes), check-quorum (recent activity), read-index (acknowledged read
 * contexts) and elections (votes). Learners are not voters and never count.
 *
 * <p>Core thread only. {@link #committedIndex} works in a scratch array of its own and allocates nothing.
 */
final class MajorityConfig {

    private final Membership membership;
    private final String[] voters;
    private final long[] scratch;

    /**
     * @param membership the membership whose voters decide
     */
    MajorityConfig(Membership membership) {
        this.membership = membership;
        final List<Member> members = membership.voters();
        this.voters = new String[members.size()];
        for (int i = 0; i < voters.length; i++) {
            voters[i] = members.get(i).id();
        }
        this.scratch = new long[voters.length];
    }

    /** @return the membership these voters are of */
    Membership membership() {
        return membership;
    }

    /** @return how many voters make a majority */
    int majority() {
        return voters.length / 2 + 1;
    }

    /** @return whether the voters other than {@code member} make a majority on their own (can elect and commit) */
    boolean decidesWithout(String member) {
        int others = 0;
        for (String voter : voters) {
            if (!voter.equals(member)) {
                others++;
            }
        }
        return others >= majority();
    }

    /**
     * Returns the highest value a majority of the voters has reached: with flushed indexes the index that may be
     * committed, with acknowledged read contexts the context confirmed, with activity 1 if a majority was heard from.
     *
     * @param acked what each voter has reached
     * @return the highest value that at least a majority of voters has reached (a membership has a voter)
     */
    long committedIndex(AckedIndexer acked) {
        for (int i = 0; i < voters.length; i++) {
            scratch[i] = acked.ackedIndex(voters[i]);
        }
        Arrays.sort(scratch); // in place; allocation-free at membership sizes
        return scratch[voters.length - majority()];
    }

    /**
     * Tallies a campaign: won once a majority granted, lost once so many refused that the voters yet to answer
     * cannot make a majority. Answers from members that are not voters here are ignored.
     *
     * @param votes each answer so far by member id: {@code true} granted, {@code false} refused
     * @return where the campaign stands
     */
    VoteResult voteResult(Map<String, Boolean> votes) {
        int granted = 0;
        int missing = 0;
        for (String voter : voters) {
            final Boolean vote = votes.get(voter);
            if (vote == null) {
                missing++;
            } else if (vote) {
                granted++;
            }
        }
        if (granted >= majority()) {
            return VoteResult.WON;
        }
        return granted + missing >= majority() ? VoteResult.PENDING : VoteResult.LOST;
    }

    @Override
    public String toString() {
        return "MajorityConfig" + Arrays.toString(voters);
    }
}

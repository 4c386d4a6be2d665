package dev.spool.raft.group;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.testing.lin.OpKind;
import java.io.IOException;

/**
 * A client operation on a register-per-key map, as the agent simulation proposes it.
 *
 * @param historyId the operation's id in the recorded history
 * @param key the register
 * @param kind write or compare-and-set (reads go through read barriers, not the log)
 * @param input the value written
 * @param expected the value a compare-and-set expects
 */
record RegisterOp(int historyId, int key, OpKind kind, long input, long expected) {

    /** Writes the five fields in order. */
    static final PayloadCodec<RegisterOp> CODEC = new PayloadCodec<>() {
        @Override
        public void encode(RegisterOp op, EntrySink sink) throws IOException {
            sink.writeInt(op.historyId());
            sink.writeInt(op.key());
            sink.writeByte(op.kind().ordinal());
            sink.writeLong(op.input());
            sink.writeLong(op.expected());
        }

        @Override
        public RegisterOp decode(EntrySource source) throws IOException {
            return new RegisterOp(
                    source.readInt(),
                    source.readInt(),
                    OpKind.values()[source.readByte()],
                    source.readLong(),
                    source.readLong());
        }
    };
}

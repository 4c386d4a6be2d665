package dev.spool.replication.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the fuzz targets' seed corpus from {@link SampleFrames}: each sample frame's body (the bytes after the type
 * byte) becomes one seed file of the target named after its frame type. The corpus is committed; rerun this after a
 * format change: {@code java -cp <test classpath> dev.spool.replication.wire.SeedCorpusWriter <resources dir>}.
 */
final class SeedCorpusWriter {

    private SeedCorpusWriter() {}

    public static void main(String[] args) throws IOException {
        final Path inputs = Path.of(args[0]).resolve("dev/spool/replication/wire/FrameFuzzTestInputs");
        for (Map.Entry<String, List<Frame>> target : SampleFrames.byTarget().entrySet()) {
            final Path directory = Files.createDirectories(inputs.resolve(target.getKey()));
            for (int i = 0; i < target.getValue().size(); i++) {
                final byte[] frame = SampleFrames.encode(target.getValue().get(i));
                if (frame.length <= WireLimits.MIN_FRAME_BYTES) {
                    Files.write(directory.resolve("sample-" + i), Arrays.copyOfRange(frame, 5, frame.length));
                }
            }
        }
    }
}

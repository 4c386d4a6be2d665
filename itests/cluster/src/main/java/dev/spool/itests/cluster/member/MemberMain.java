package dev.spool.itests.cluster.member;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one Spool member as a process: {@code java -cp <classpath> dev.spool.itests.cluster.member.MemberMain
 * --id m1 --data DIR --listen 127.0.0.1:PORT --peer m2=127.0.0.1:PORT ...} (see {@link MemberOptions#USAGE}).
 * Prints {@code READY <controlPort>} on standard output once the member and its control endpoint serve, and runs
 * until it is killed, sent SIGTERM (it then stops the member cleanly), or, with {@code --exit-on-stdin-eof}, until
 * its standard input ends — a launcher that dies takes its members with it.
 */
public final class MemberMain {

    private MemberMain() {}

    /**
     * Starts the member.
     *
     * @param args the command line
     * @throws Exception if the member cannot start
     */
    public static void main(String[] args) throws Exception {
        final MemberOptions options;
        try {
            options = MemberOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(MemberOptions.USAGE);
            System.exit(2);
            return;
        }
        final ClusterNode node = new ClusterNode(options);
        final ControlEndpoint control =
                new ControlEndpoint(node.group(), node.machine(), options.controlPort(), RequestDeadline.DEFAULT);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            control.close();
                            node.close();
                            stopped.countDown();
                        },
                        "member-shutdown"));
        System.out.println("READY " + control.port());
        System.out.flush();
        if (options.exitOnStdinEof()) {
            drain(System.in);
            System.exit(0);
        }
        stopped.await();
    }

    private static void drain(InputStream in) throws IOException {
        final byte[] ignored = new byte[256];
        while (in.read(ignored) >= 0) {
            // The launcher writes nothing; this only waits for the end of the stream.
        }
    }
}

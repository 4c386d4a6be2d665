package dev.spool.itests;

import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * The Pax Exam options every Spool integration test shares: boot the distribution this build produced (not one
 * from a Maven repository, which could be stale), on free ports, resolving Maven artifacts from the build's own
 * local repository.
 */
final class SpoolKarafOptions {
    private static final String ETC_MVN = "etc/org.ops4j.pax.url.mvn.cfg";
    private static final String ETC_MANAGEMENT = "etc/org.apache.karaf.management.cfg";
    private static final String ETC_SHELL = "etc/org.apache.karaf.shell.cfg";

    private SpoolKarafOptions() {}

    /**
     * Returns the options that boot the Spool distribution.
     *
     * @return the shared options
     */
    static Option[] distribution() {
        final String distribution = requiredProperty("spool.distribution");
        if (!new File(distribution).isFile()) {
            throw new IllegalStateException("the Spool distribution " + distribution
                    + " was not built: run the build from the repository root");
        }
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl("file:" + distribution)
                    .name("Spool")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.WARN),
            systemTimeout(180_000),
            editConfigurationFilePut(
                    ETC_MVN, "org.ops4j.pax.url.mvn.localRepository", requiredProperty("maven.repo.local")),
            editConfigurationFilePut(ETC_MANAGEMENT, "rmiRegistryPort", Integer.toString(freePort())),
            editConfigurationFilePut(ETC_MANAGEMENT, "rmiServerPort", Integer.toString(freePort())),
            editConfigurationFilePut(ETC_SHELL, "sshPort", Integer.toString(freePort())),
        };
    }

    /**
     * Returns the options that boot the Spool distribution with Karaf's write-back of configurations to {@code etc/}
     * turned off, for tests that change configurations through ConfigAdmin: a written-back file is read again and may
     * re-create the configured service once more, at a moment no test controls.
     *
     * @return the shared options, without write-back
     */
    static Option[] distributionWithoutConfigSave() {
        return OptionUtils.combine(
                distribution(),
                editConfigurationFilePut("etc/config.properties", "felix.fileinstall.enableConfigSave", "false"));
    }

    private static String requiredProperty(String name) {
        final String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the Karaf container", e);
        }
    }
}

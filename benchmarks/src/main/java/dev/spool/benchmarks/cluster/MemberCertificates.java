package dev.spool.benchmarks.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Key stores for mutual TLS between benchmark members, made with the JDK's {@code keytool}: one PKCS12 key store per
 * member holding a self-signed certificate whose CN is the member's id (the name the transport checks against the id
 * a peer claims), and one trust store holding every member's certificate.
 */
final class MemberCertificates {

    /** The password of every store the benchmark makes. */
    static final String PASSWORD = "spool-benchmark";

    private final Path directory;

    private MemberCertificates(Path directory) {
        this.directory = directory;
    }

    /**
     * Makes the key stores of some members and their common trust store.
     *
     * @param directory where the stores go
     * @param ids the members
     * @return the stores
     * @throws IOException if keytool fails
     */
    static MemberCertificates create(Path directory, List<String> ids) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        final MemberCertificates certificates = new MemberCertificates(directory);
        for (String id : ids) {
            keytool(
                    "-genkeypair",
                    "-alias",
                    id,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=" + id,
                    "-validity",
                    "7",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    certificates.keyStore(id).toString(),
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD);
            final Path certificate = directory.resolve(id + ".crt");
            keytool(
                    "-exportcert",
                    "-alias",
                    id,
                    "-keystore",
                    certificates.keyStore(id).toString(),
                    "-storepass",
                    PASSWORD,
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    id,
                    "-file",
                    certificate.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    certificates.trustStore().toString(),
                    "-storepass",
                    PASSWORD);
        }
        return certificates;
    }

    /**
     * Returns a member's command-line options for mutual TLS.
     *
     * @param id the member
     * @return the options
     */
    List<String> memberOptions(String id) {
        return List.of(
                "--tls-keystore",
                keyStore(id).toString(),
                "--tls-truststore",
                trustStore().toString(),
                "--tls-password",
                PASSWORD);
    }

    private Path keyStore(String id) {
        return directory.resolve(id + ".p12");
    }

    private Path trustStore() {
        return directory.resolve("trust.p12");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}

package dev.spool.itests;

import java.time.Duration;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Waits for services to appear in the registry, as an application bound to them dynamically would see them. */
final class OsgiServices {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final BundleContext context;

    OsgiServices(BundleContext context) {
        this.context = context;
    }

    /**
     * Waits for a service of {@code type} whose reference matches {@code condition} and returns it.
     *
     * @throws AssertionError if none appears within the timeout
     */
    <T> T await(Class<T> type, Predicate<ServiceReference<T>> condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                for (ServiceReference<T> reference : context.getServiceReferences(type, null)) {
                    if (condition.test(reference)) {
                        final T service = context.getService(reference);
                        if (service != null) {
                            return service;
                        }
                    }
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type.getName() + " service appeared within " + TIMEOUT);
    }

    /**
     * Returns the installed bundle named {@code symbolicName}.
     *
     * @throws AssertionError if it is not installed
     */
    Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /**
     * Waits for the service of {@code type} that its configuration file in {@code etc/} configured. The feature
     * installs that file while Karaf boots, so the component may first run on its defaults and be re-created
     * moments later, closing what an early caller opened; a configured service is the one that stays.
     */
    <T> T awaitConfigured(Class<T> type) throws InterruptedException {
        return await(type, reference -> reference.getProperty("service.pid") != null);
    }

    /**
     * Waits until no service of {@code type} is registered.
     *
     * @throws AssertionError if one is still registered after the timeout
     */
    void awaitAbsent(Class<?> type) throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (context.getServiceReference(type) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a " + type.getName() + " service is still registered after " + TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /** Returns the registry id of the current service of {@code type}, or -1 if there is none. */
    <T> long serviceId(Class<T> type) {
        final ServiceReference<T> reference = context.getServiceReference(type);
        return reference == null ? -1 : (Long) reference.getProperty("service.id");
    }
}

package dev.spool.replication.internal.osgi;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Builds a {@link ReplicationConfiguration} as Declarative Services hands it over: the given properties (named as in
 * a {@code .cfg} file, {@code tls.keyStore} for {@code tls_keyStore()}), the annotation's defaults for the rest, and
 * {@code null} for a property without a default that is not given.
 */
final class Configurations {

    private Configurations() {}

    static ReplicationConfiguration of(Map<String, ?> properties) {
        return (ReplicationConfiguration) Proxy.newProxyInstance(
                ReplicationConfiguration.class.getClassLoader(),
                new Class<?>[] {ReplicationConfiguration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ReplicationConfiguration.class;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    final String property = method.getName().replace('_', '.');
                    return properties.containsKey(property) ? properties.get(property) : method.getDefaultValue();
                });
    }
}

package dev.spool.raft.internal.jmx;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** Registers Spool's MXBeans with the platform MBean server under names in the {@value #DOMAIN} domain. */
public final class MBeans {

    /** The JMX domain of every Spool MBean. */
    public static final String DOMAIN = "dev.spool";

    private static final System.Logger LOG = System.getLogger(MBeans.class.getName());
    /** Names made of these characters need no quoting in an object name, and read best unquoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    private MBeans() {}

    /**
     * Returns the object name {@code dev.spool:type=<type>,name=<name>}, the name quoted if it holds characters an
     * object name reserves.
     *
     * @param type the MBean's type, e.g. {@code RaftGroup}
     * @param name the group's or member's name
     * @return the object name
     */
    public static ObjectName name(String type, String name) {
        final String value = PLAIN.matcher(name).matches() ? name : ObjectName.quote(name);
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",name=" + value);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for " + type + " " + name, e);
        }
    }

    /**
     * Registers an MXBean; a failure (a name taken by another member in the same JVM) is logged, never thrown: a
     * group serves without its MBean.
     *
     * @param bean the MXBean
     * @param name its name
     * @return whether it was registered, and must be unregistered
     */
    public static boolean register(Object bean, ObjectName name) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, name);
            return true;
        } catch (JMException e) {
            LOG.log(Level.WARNING, "MBean " + name + " not registered: " + e);
            return false;
        }
    }

    /**
     * Unregisters an MXBean registered by {@link #register}; one already gone is no error.
     *
     * @param name its name
     */
    public static void unregister(ObjectName name) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.log(Level.DEBUG, "MBean " + name + " was not registered: " + e);
        }
    }
}

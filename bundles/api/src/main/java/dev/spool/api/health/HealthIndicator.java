package dev.spool.api.health;

/**
 * Something of this member that can say whether it serves: the Raft bundle publishes one per configured group, with
 * the service property {@value dev.spool.api.group.RaftGroup#GROUP_PROPERTY} naming the group, and one for the
 * member as a whole (healthy when every configured group is), with the property {@value #SUBJECT_PROPERTY}
 * {@value #MEMBER_SUBJECT}. A component that cannot publish its service (a storage service whose configuration it
 * refuses) may publish an unhealthy indicator with {@value #SUBJECT_PROPERTY} set to the service's interface name,
 * e.g. {@code dev.spool.api.spi.journal.JournalService} ({@link #refused}): a group missing that service names its
 * cause. Consumers (the console's {@code spool:health}, the MXBeans' {@code Healthy} and {@code HealthCause}
 * attributes) ask when they need an answer; nothing is computed in between.
 *
 * <p>Threads: any thread; an answer takes no lock the group's agents hold.
 */
public interface HealthIndicator {

    /** The service property telling what an indicator speaks for. */
    String SUBJECT_PROPERTY = "spool.health.subject";

    /** The subject of the indicator speaking for the whole member. */
    String MEMBER_SUBJECT = "member";

    /** @return what the indicator speaks for, e.g. {@code "group orders"} or {@code "member member-1"} */
    String subject();

    /** @return whether it serves now, and if not why */
    Health health();

    /**
     * Returns the indicator a component publishes for the service it refuses to provide: always unhealthy.
     *
     * @param service the interface of the service not provided; its name is the subject
     * @param cause why, e.g. the refused configuration value
     * @return the indicator
     */
    static HealthIndicator refused(Class<?> service, String cause) {
        final Health health = Health.unhealthy(cause);
        final String subject = service.getName();
        return new HealthIndicator() {
            @Override
            public String subject() {
                return subject;
            }

            @Override
            public Health health() {
                return health;
            }
        };
    }
}

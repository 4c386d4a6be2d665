/**
 * The Raft bundle's MXBeans, in the OpenDaylight style: {@code dev.spool:type=RaftGroup,name=<group>} for each group
 * on this member and {@code dev.spool:type=Member,name=<memberId>} for the member. Open types only, so any JMX
 * client (jconsole, Jolokia, the Prometheus JMX exporter) reads them without Spool's classes.
 */
package dev.spool.raft.internal.jmx;

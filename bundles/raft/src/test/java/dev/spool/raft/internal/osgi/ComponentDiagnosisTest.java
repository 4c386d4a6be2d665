package dev.spool.raft.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one line kept of an activation failure that Declarative Services reports as a printed stack trace. */
class ComponentDiagnosisTest {

    @Test
    @DisplayName("the innermost cause's message, without its exception class")
    void rootCause() {
        assertEquals(
                "configuration dev.spool.journal: segmentSize=12 must be between 65536 and 1073741824 bytes",
                ComponentDiagnosis.rootCause("""
                org.osgi.service.component.ComponentException: java.lang.reflect.InvocationTargetException
                \tat org.apache.felix.scr.impl.inject.internal.ComponentConstructorImpl.newInstance(X.java:1)
                Caused by: java.lang.reflect.InvocationTargetException
                \tat java.base/jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance0(Native Method)
                Caused by: java.lang.IllegalArgumentException: configuration dev.spool.journal: segmentSize=12 must\
                 be between 65536 and 1073741824 bytes
                \tat dev.spool.journal.internal.osgi.JournalSettings.invalid(JournalSettings.java:77)
                """));
        assertEquals(
                "boom: twice",
                ComponentDiagnosis.rootCause(
                        "java.lang.IllegalStateException: boom: twice\n" + "\tat x.Y.z(Y.java:1)\n"));
        assertEquals("its activation failed", ComponentDiagnosis.rootCause(null));
    }
}

package dev.labdesk.desktop.fx;

import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyProperty;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Counts the listeners registered on an observable value, list or map, as JavaFX itself holds them
 * (its listener helper, read reflectively: JavaFX has no public count). For tests that check a
 * view or view model leaves no listener behind; if a JavaFX upgrade renames the helper, it fails loudly.
 */
public final class Listeners {
    private Listeners() {}

    public static int on(Observable observable) {
        var helper = helper(observable);
        if (helper == null) return 0;
        var type = helper.getClass();
        if (!type.getSimpleName().equals("Generic")) return 1; // SingleInvalidation, SingleChange, SingleListChange…
        int n = 0;
        for (var c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == int.class && f.getName().endsWith("Size") && !Modifier.isStatic(f.getModifiers())) n += (int) read(f, helper);
            }
        }
        return n;
    }

    /**
     * The listeners on every observable field of {@code owner} (a view model), read-only wrappers counted at the
     * read-only property views bind to.
     */
    public static int onFieldsOf(Object owner) {
        int n = 0;
        for (var c = owner.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Observable.class.isAssignableFrom(f.getType())) continue;
                var value = read(f, owner);
                if (value == null) continue;
                n += on((Observable) value);
                var readOnly = readOnlyView(value);
                if (readOnly != null && readOnly != value) n += on(readOnly);
            }
        }
        return n;
    }

    private static Observable readOnlyView(Object value) {
        try {
            var m = value.getClass().getMethod("getReadOnlyProperty");
            return (ReadOnlyProperty<?>) m.invoke(value);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object helper(Object observable) {
        for (var c = observable.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if ((f.getName().equals("helper") || f.getName().equals("listenerHelper")) && !Modifier.isStatic(f.getModifiers()))
                    return read(f, observable);
            }
        }
        throw new IllegalStateException("no listener helper found in " + observable.getClass().getName());
    }

    private static Object read(Field f, Object from) {
        try {
            f.setAccessible(true);
            return f.get(from);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}

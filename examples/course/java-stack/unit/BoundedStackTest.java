import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BoundedStackTest {
    @Test
    void newStackIsEmpty() {
        BoundedStack s = new BoundedStack(3);
        assertTrue(s.isEmpty());
        assertFalse(s.isFull());
        assertEquals(0, s.size());
        assertEquals(3, s.capacity());
    }

    @Test
    void pushThenPopReturnsSameValue() {
        BoundedStack s = new BoundedStack(3);
        s.push(42);
        assertEquals(1, s.size());
        assertEquals(42, s.pop());
        assertTrue(s.isEmpty());
    }

    @Test
    void popReturnsInLifoOrder() {
        BoundedStack s = new BoundedStack(3);
        s.push(1);
        s.push(2);
        s.push(3);
        assertTrue(s.isFull());
        assertEquals(3, s.pop());
        assertEquals(2, s.pop());
        assertEquals(1, s.pop());
    }

    @Test
    void peekDoesNotRemove() {
        BoundedStack s = new BoundedStack(2);
        s.push(7);
        assertEquals(7, s.peek());
        assertEquals(7, s.peek());
        assertEquals(1, s.size());
    }

    @Test
    void pushBeyondCapacityThrows() {
        BoundedStack s = new BoundedStack(2);
        s.push(1);
        s.push(2);
        assertThrows(StackFullException.class, () -> s.push(3));
        assertEquals(2, s.size());
        assertEquals(2, s.peek());
    }

    @Test
    void popOnEmptyThrows() {
        BoundedStack s = new BoundedStack(2);
        assertThrows(NoSuchElementException.class, s::pop);
        assertThrows(NoSuchElementException.class, s::peek);
        assertEquals(0, s.size());
    }
}

/** Thrown by BoundedStack.push when the stack is full. */
public class StackFullException extends RuntimeException {
    public StackFullException(int capacity) {
        super("stack is full (capacity " + capacity + ")");
    }
}

import java.util.NoSuchElementException;

// The constructor declares a local `items` that shadows the field, so the
// field stays null and the first push throws NullPointerException.
public class BoundedStack {
    private int[] items;
    private int capacity;
    private int size;

    public BoundedStack(int capacity) {
        this.capacity = capacity;
        int[] items = new int[capacity];
    }

    public void push(int value) {
        if (size == capacity) {
            throw new StackFullException(capacity);
        }
        items[size++] = value;
    }

    public int pop() {
        int value = peek();
        size--;
        return value;
    }

    public int peek() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return items[size - 1];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == capacity;
    }
}

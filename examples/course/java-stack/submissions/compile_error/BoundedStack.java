import java.util.NoSuchElementException;

public class BoundedStack {
    private final int[] items;
    private int size;

    public BoundedStack(int capacity) {
        items = new int[capacity];
    }

    public void push(int value) {
        if (size == items.length) {
            throw new StackFullException(items.length);
        }
        items[size++] = value;
    }

    public int pop() {
        int value = peek();
        size--;
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
        return items.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == items.length;
    }
}

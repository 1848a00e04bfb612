import java.util.NoSuchElementException;

// Checks `size > capacity` instead of `size == capacity`: one push too many
// gets through and writes past the array (ArrayIndexOutOfBoundsException
// instead of StackFullException, which the test reports as a failed assertion).
public class BoundedStack {
    private final int capacity;
    private final int[] items;
    private int size;

    public BoundedStack(int capacity) {
        this.capacity = capacity;
        this.items = new int[capacity];
    }

    public void push(int value) {
        if (size > capacity) {
            throw new StackFullException(capacity);
        }
        items[size++] = value;
    }

    public int pop() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return items[--size];
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

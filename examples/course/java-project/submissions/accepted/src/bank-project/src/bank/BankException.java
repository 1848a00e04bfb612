package bank;

/** A refused operation; the message is printed after "error: ". */
public class BankException extends Exception {
    public BankException(String message) {
        super(message);
    }
}

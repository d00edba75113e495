package ai.payable.orchestration;

/**
 * What went wrong talking to Airflow, by kind, with the server's own message: a caller can tell
 * bad credentials from a missing DAG from an invalid request without parsing text.
 */
public sealed class AirflowError extends RuntimeException
    permits AirflowError.Auth, AirflowError.NotFound, AirflowError.Conflict, AirflowError.Invalid, AirflowError.Server {

  private static final long serialVersionUID = 1L;

  private final int status;

  AirflowError(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status Airflow answered with (0 when it could not be reached). */
  public int status() {
    return status;
  }

  /** 401/403: wrong credentials or not allowed. */
  public static final class Auth extends AirflowError {
    private static final long serialVersionUID = 1L;

    Auth(int status, String message) {
      super(status, message);
    }
  }

  /** 404: no such DAG, run or task. */
  public static final class NotFound extends AirflowError {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(404, message);
    }
  }

  /** 409: the object exists already. */
  public static final class Conflict extends AirflowError {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(409, message);
    }
  }

  /** 400/422: the request was refused as invalid; the message is the server's validation error. */
  public static final class Invalid extends AirflowError {
    private static final long serialVersionUID = 1L;

    Invalid(int status, String message) {
      super(status, message);
    }
  }

  /** 5xx or unreachable. */
  public static final class Server extends AirflowError {
    private static final long serialVersionUID = 1L;

    Server(int status, String message) {
      super(status, message);
    }
  }

  static AirflowError of(int status, String what, String body) {
    String message = what + ": HTTP " + status + (body == null || body.isBlank() ? "" : " " + body.strip());
    return switch (status) {
      case 401, 403 -> new Auth(status, message);
      case 404 -> new NotFound(message);
      case 409 -> new Conflict(message);
      case 400, 422 -> new Invalid(status, message);
      default -> new Server(status, message);
    };
  }
}

/** Base for errors a route may throw on purpose: a stable code and the HTTP status to answer with. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message, 404);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 400);
  }
}

/** 401 without a valid session or API key. */
export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first') {
    super('UNAUTHENTICATED', message, 401);
  }
}

/** 401 for a failed sign-in; the message never says which part was wrong. */
export class BadCredentialsError extends AppError {
  constructor(message: string) {
    super('BAD_CREDENTIALS', message, 401);
  }
}

/** 403: signed in, but the role matrix does not allow it. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message, 403);
  }
}

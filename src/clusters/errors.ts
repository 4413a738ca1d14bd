/** EksErrorKind is the closed set of EKS errors the cluster registry answers, with their HTTP status. */
export type EksErrorKind = 'InvalidParameterException' | 'ResourceNotFoundException' | 'ResourceInUseException' | 'ResourceLimitExceededException' | 'InvalidRequestException' | 'ServerException';

const STATUS: Readonly<Record<EksErrorKind, number>> = {
  InvalidParameterException: 400,
  ResourceNotFoundException: 404,
  ResourceInUseException: 409,
  ResourceLimitExceededException: 400,
  InvalidRequestException: 400,
  ServerException: 500,
};

/** EksError is a typed EKS API error; `clusterName` is sent as EKS sends it. */
export class EksError extends Error {
  constructor(
    readonly kind: EksErrorKind,
    message: string,
    readonly clusterName?: string,
  ) {
    super(message);
    this.name = kind;
  }

  /** status is the HTTP status EKS's model gives this error. */
  get status(): number {
    return STATUS[this.kind];
  }

  /** body is the restJson1 error body. */
  body(): Record<string, unknown> {
    return { message: this.message, ...(this.clusterName !== undefined ? { clusterName: this.clusterName } : {}) };
  }
}

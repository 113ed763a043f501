// The part of the `inngest` npm package's types that exported references meet, for
// type-checking without the package (npm is out of reach here). Written after the shapes of
// the SDK's InngestFunctionReference and step.invoke: a reference class whose type
// parameters (the invoke payload and the output) are phantom, `referenceFunction` returning
// an untyped reference, and `step.invoke` taking `data` from the reference's payload type and
// returning its output type.
declare module "inngest" {
  export type MinimalEventPayload<TData = any> = {
    id?: string;
    data?: TData;
    user?: any;
    v?: string;
  };

  export class InngestFunctionReference<_TInput extends MinimalEventPayload, _TOutput> {
    readonly opts: { functionId: string; appId?: string };
    constructor(opts: { functionId: string; appId?: string });
  }

  export namespace InngestFunctionReference {
    type Any = InngestFunctionReference<MinimalEventPayload, any>;
    type HelperArgs<TFnInput, TFnOutput> = {
      functionId: string;
      appId?: string;
      schemas?: { data?: TFnInput; return?: TFnOutput };
    };
  }

  // Without schemas (validators), the SDK infers an untyped reference.
  export function referenceFunction<TArgs extends InngestFunctionReference.HelperArgs<unknown, unknown>>(
    args: TArgs,
  ): InngestFunctionReference<MinimalEventPayload, unknown>;

  type PayloadOf<TFunction> = TFunction extends InngestFunctionReference<infer TInput, any> ? TInput : never;
  type OutputOf<TFunction> = TFunction extends InngestFunctionReference<any, infer TOutput> ? TOutput : never;

  export interface StepTools {
    invoke<TFunction extends InngestFunctionReference.Any>(
      id: string,
      opts: { function: TFunction; timeout?: number | string | Date } & Omit<PayloadOf<TFunction>, "id">,
    ): Promise<OutputOf<TFunction>>;
  }
}

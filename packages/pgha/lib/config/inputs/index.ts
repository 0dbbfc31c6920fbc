export type * from "./postgres";
export type * from "./services";
export type * from "./topology";

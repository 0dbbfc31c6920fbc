// pgha's plan check as a Pulumi policy pack: `pulumi preview --policy-pack <this directory>`.
// Constructing the PolicyPack serves it to the Pulumi engine, so only this entry point does.
import { PolicyPack } from "@pulumi/policy";
import { pghaPolicies } from "../policyPack";

new PolicyPack("pgha", { policies: pghaPolicies() });

/**
 * cloud-init user-data of a psql client VM: the PostgreSQL client from the distribution and
 * a system-wide pg_service.conf naming every cluster's load balancer, so an operator types
 * `psql service=main` (password from ~/.pgpass or the prompt; no secret on the VM).
 */
import { stringify } from "yaml";

export interface ClientService {
  /** Service name, e.g. `main` or `main-replicas`. */
  name: string;
  host: string;
  port: number;
  user: string;
  dbname: string;
  sslmode: "require" | "prefer" | "disable";
}

/** Debian/Ubuntu libpq reads the system-wide service file from PGSYSCONFDIR=/etc/postgresql-common. */
export const PG_SERVICE_FILE = "/etc/postgresql-common/pg_service.conf";

export function pgServiceConf(services: ClientService[]): string {
  return services
    .map((s) =>
      [`[${s.name}]`, `host=${s.host}`, `port=${s.port}`, `dbname=${s.dbname}`, `user=${s.user}`, `sslmode=${s.sslmode}`].join("\n"),
    )
    .join("\n\n")
    .concat("\n");
}

export function clientUserData(services: ClientService[]): string {
  const config = {
    package_update: true,
    packages: ["postgresql-client"],
    write_files: [{ path: PG_SERVICE_FILE, permissions: "0644", owner: "root:root", content: pgServiceConf(services) }],
  };
  return `#cloud-config\n${stringify(config)}`;
}

import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { pgConfigFromUrl, quoteIdent } from "./pg-config";

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type RowDescription = { fields: { dataTypeID: number }[] };

const CHAR_OID = 18;
const NAME_OID = 19;
const TEXT_OID = 25;

const pgHandleRowDescription = (pg.Client.prototype as unknown as Record<string, (msg: RowDescription) => void>)
  ._handleRowDescription;

/**
 * Reports the catalog column types `name` and `"char"` as `text`: `@prisma/adapter-pg` 6.19 has no
 * mapping for them and throws "Unsupported column type", which breaks the schema engine's
 * introspection queries on pg_catalog (https://github.com/prisma/prisma/issues/27403). Both arrive
 * in text format, so the text parser reads them unchanged. `_handleRowDescription` is pg 8's
 * internal hook that sees a result's column types before anyone else does.
 */
class CatalogTextClient extends pg.Client {
  _handleRowDescription(msg: RowDescription): void {
    for (const field of msg.fields) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    pgHandleRowDescription?.call(this, msg);
  }
}

/**
 * Sends a migration script to the server whole. Upstream `executeScript` splits the script on every
 * `;`, which cuts `$$ … $$` function bodies (and string literals) apart (an upstream fix was
 * proposed in https://github.com/prisma/prisma/pull/27509 and not merged). With no
 * bind parameters pg uses the simple query protocol, which runs several statements in one string,
 * as an implicit transaction, exactly as the native schema engine does.
 */
function sendScriptsWhole(adapter: PgAdapter): PgAdapter {
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/**
 * The driver adapter for Prisma's WASM schema engine (`engine: "js"` in prisma.config.ts): `PrismaPg`
 * plus the three fixes this package needs to run migrate offline. Takes separate connection fields,
 * never a connection string (see {@link pgConfigFromUrl}).
 */
export class MigrationPg extends PrismaPg {
  readonly #config: pg.PoolConfig;

  constructor(databaseUrl: string) {
    const config: pg.PoolConfig = { ...pgConfigFromUrl(databaseUrl), Client: CatalogTextClient };
    super(config);
    this.#config = config;
  }

  override async connect() {
    return sendScriptsWhole(await super.connect());
  }

  /**
   * Creates a throw-away shadow database. Upstream drops it while its own pool is still connected,
   * so the DROP fails and the database is left behind; here the pool is closed first and the drop
   * uses `WITH (FORCE)`, as the native engine has done since prisma/prisma-engines#4722 (symptom:
   * "is being accessed by other users", https://github.com/prisma/prisma/issues/22845). Upstream
   * also never closes the main connection it opened; this does.
   */
  override async connectToShadowDb() {
    const main = await this.connect();
    const database = quoteIdent(`prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`);
    try {
      await main.executeScript(`CREATE DATABASE ${database}`);
      const shadow = sendScriptsWhole(await new PrismaPg({ ...this.#config, database: database.slice(1, -1) }).connect());
      const closeShadowPool = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await closeShadowPool();
          await main.executeScript(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        } finally {
          await main.dispose();
        }
      };
      return shadow;
    } catch (error) {
      await main.dispose();
      throw error;
    }
  }
}

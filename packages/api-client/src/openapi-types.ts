// Generated from openapi.json by `pnpm --filter @userstream/web generate:api-client`: do not edit.

export interface paths {
    "/registrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a person
         * @description Accepted (202) once the registration is safely queued; the user is stored shortly after.
         */
        post: operations["registration-submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/registrations/{registrationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Progress of a registration
         * @description `queued` until the registration is processed (also for unknown ids), then `stored`, `email_sent` once the welcome email left, `email_confirmed` once its link was opened, or `email_failed`. A registration for an address already known reads `email_sent`, like a new one, though no second email is sent.
         */
        get: operations["registration-status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/registrations/{registrationId}/send-again": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the welcome email again
         * @description Queues the registration's welcome email again, at most once per cooldown and a few times a day per address and per client address (SEND_AGAIN_COOLDOWN_MINUTES, SEND_AGAIN_DAILY_LIMIT): over it, 429 with Retry-After and a message saying when to try again. 409 when it cannot be sent again at all: the registration is not processed yet or its email is being sent, the address is already confirmed, or it refused our email. A registration for an address already known is answered the same way, but nothing is sent.
         */
        post: operations["registration-sendAgain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Every user with their email address, newest first unless `sort` says otherwise. Every word of `search` (at least 3 characters each) must appear, case-insensitively, in the first name, last name or email; `emailPrefix` keeps the users whose email begins with it (an index range, however many users there are). Pass `nextCursor` back as `cursor` (with the same `sort` and filters) for the next page. Needs an API key with the `read` scope.
         */
        get: operations["serviceUsers-list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One user
         * @description Needs an API key with the `read` scope.
         */
        get: operations["serviceUsers-get"];
        put?: never;
        post?: never;
        /**
         * Delete a user
         * @description Removes the user's row (names, email); their email notification records are kept without anything that identifies them. Cannot be undone. Needs an API key with the `delete` scope.
         */
        delete: operations["serviceUsers-delete"];
        options?: never;
        head?: never;
        /**
         * Change a user's names
         * @description `firstName`, `lastName` or both, validated like a registration. Nothing else can be changed. Needs an API key with the `write` scope.
         */
        patch: operations["serviceUsers-update"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        FieldErrors: {
            /** @description The first problem with each field, by field name (`form` for the request as a whole). */
            errors: {
                [key: string]: string;
            };
        };
        Error: {
            message: string;
            code: string;
        };
        PublishFailure: {
            message: string;
            code: string;
            /**
             * @description `refused`: nothing was accepted (the broker could not be reached, refused the message, or blocks publishing in a resource alarm); send it again. `unknown`: the registration was sent but not confirmed in time; it may still be stored. Sending it again is safe either way: one email address is one user with one welcome email.
             * @enum {string}
             */
            outcome?: "refused" | "unknown";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "registration-submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 1–100 letters of any script, spaces, apostrophes, hyphens and periods, once trimmed; no control characters. */
                    firstName: string;
                    /** @description 1–100 letters of any script, spaces, apostrophes, hyphens and periods, once trimmed; no control characters. */
                    lastName: string;
                    /** @description An email address of at most 254 characters (64 before the @), trimmed and lower-cased. */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Accepted: the registration is queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        registrationId: string;
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description The request body is over 64 kB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many registrations from this client address; wait as long as `Retry-After` says */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The broker did not confirm the registration: see `outcome` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublishFailure"];
                };
            };
        };
    };
    "registration-status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                registrationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        registrationId: string;
                        /** @enum {string} */
                        status: "queued" | "stored" | "email_sent" | "email_confirmed" | "email_failed";
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description No such path */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "registration-sendAgain": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                registrationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The email is queued again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        registrationId: string;
                        /** @constant */
                        outcome: "queued";
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description No such path */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description It cannot be sent again: not processed yet, being sent, the address confirmed, or it refused our email */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Sent again too recently or too often for this address or client address; the message says until when, as does `Retry-After` */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The broker did not confirm: nothing was queued, try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "serviceUsers-list": {
        parameters: {
            query?: {
                search?: string;
                cursor?: string | null;
                limit?: number;
                emailPrefix?: string;
                sort?: "created_desc" | "created_asc" | "last_name_asc" | "last_name_desc" | "email_asc" | "email_desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            firstName: string;
                            lastName: string;
                            email: string;
                            emailVerified: boolean;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        nextCursor: string | null;
                        /** @description Every user the search matches (every user without one), not only this page's. */
                        total: number;
                        /** @description True when `total` is PostgreSQL's estimate rather than a count: the list without a search beyond 100,000 users, or a search that matches a large share of them (whose page is found by walking the list in order, without reading every match). Show it as "about". */
                        totalIsEstimate: boolean;
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description No API key, or one that is not valid, has been revoked or has expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API key lacks the scope this operation needs (see its description) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such path */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests with this API key in a minute; wait as long as `Retry-After` says */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "serviceUsers-get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        firstName: string;
                        lastName: string;
                        email: string;
                        emailVerified: boolean;
                        /** Format: date-time */
                        createdAt: string;
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description No API key, or one that is not valid, has been revoked or has expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API key lacks the scope this operation needs (see its description) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user (or no such path) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests with this API key in a minute; wait as long as `Retry-After` says */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "serviceUsers-delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** @constant */
                        deleted: true;
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description No API key, or one that is not valid, has been revoked or has expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API key lacks the scope this operation needs (see its description) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user (or no such path) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests with this API key in a minute; wait as long as `Retry-After` says */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "serviceUsers-update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 1–100 letters of any script, spaces, apostrophes, hyphens and periods, once trimmed; no control characters. */
                    firstName?: string;
                    /** @description 1–100 letters of any script, spaces, apostrophes, hyphens and periods, once trimmed; no control characters. */
                    lastName?: string;
                };
            };
        };
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        firstName: string;
                        lastName: string;
                        email: string;
                        emailVerified: boolean;
                        /** Format: date-time */
                        createdAt: string;
                    };
                };
            };
            /** @description Invalid input: the first problem with each field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldErrors"];
                };
            };
            /** @description No API key, or one that is not valid, has been revoked or has expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API key lacks the scope this operation needs (see its description) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user (or no such path) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is over 64 kB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests with this API key in a minute; wait as long as `Retry-After` says */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Something went wrong on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}

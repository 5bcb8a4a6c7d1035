CREATE TABLE "conversation_participants" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_participants_workspace_id_conversation_id_customer_id_pk" PRIMARY KEY("workspace_id","conversation_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "meta" jsonb;--> statement-breakpoint
CREATE INDEX "participants_customer_idx" ON "conversation_participants" USING btree ("workspace_id","customer_id");
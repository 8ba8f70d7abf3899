export interface CreatePaymentRequest {
  /** Integer minor units (cents for USD), > 0. */
  amount: number;
  /** ISO 4217 code, upper case: "USD", "EUR", ... */
  currency: string;
}

export interface RefundRequest {
  /** Chosen by the caller; the same refundId twice refunds once. */
  refundId: string;
  amount: number;
}

export interface Refund {
  refundId: string;
  amount: number;
  gatewayRefundId: string;
}

export type PaymentStatus = "charged" | "partially_refunded" | "refunded";

export interface Payment {
  paymentId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  /** The gateway's ledger entry id of the charge. */
  chargeId: string;
  refundedAmount: number;
  refunds: Refund[];
  createdAt: string;
  /** PaymentService.create's receipt: "refused" when the provider refused it for good. */
  receipt?: ReceiptState;
}

export type ReceiptState = "pending" | "sent" | "refused";

/** What the gateway answers for a charge or a refund (one line of its ledger), and for a receipt: its contract. */
export type { LedgerEntry as GatewayEntry, Receipt } from "../gateway/contract.ts";

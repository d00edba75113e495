package ai.payable.core.submission;

import java.io.Serializable;

/**
 * The signed content of one DataNet record: exactly the fields of the EIP-712 {@code Record} type,
 * as strings, in the order the type declares them. {@code contributor} is a lowercase address.
 */
public record RecordContent(
    String datanet,
    String contributor,
    String license,
    String kind,
    String prompt,
    String completion,
    String text,
    String createdAt)
    implements Serializable {}
